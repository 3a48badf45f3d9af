// Test helper: a loose view of a generated document for deep property access in assertions.
// biome-ignore lint/suspicious/noExplicitAny: assertions read deep into generated JSON of known shape
export type Doc = Record<string, any>
