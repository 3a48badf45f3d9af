// The one notation every rule, and so every report format, writes a body field in: property names
// joined by '.', an array's item as '[]' after the array (`data[].pan`), a map's value as '*'
// (`prices.*`), and '' for the body itself (read as 'the body').

/** The path of property `key` under `base`. */
export const propertyPath = (base: string, key: string): string => (base === '' ? key : `${base}.${key}`)

/** The path of the items of the array at `base`. */
export const itemPath = (base: string): string => `${base}[]`

/** The path of the values of the map at `base`. */
export const mapValuePath = (base: string): string => propertyPath(base, '*')

/** A body path as prose: 'the body' for the body itself. */
export const bodyPathText = (path: string): string => (path === '' ? 'the body' : path)
