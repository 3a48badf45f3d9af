// cli: the `specter` command line; parses arguments and wires modules together.
export async function main(_argv: string[]): Promise<number> {
  return 0
}
