// Character codes of JSON's structure, for the linear scans over JSON text (json-guard.ts,
// truncated-json.ts).
export const OPEN_OBJECT = 0x7b
export const OPEN_ARRAY = 0x5b
export const CLOSE_OBJECT = 0x7d
export const CLOSE_ARRAY = 0x5d
export const QUOTE = 0x22
export const BACKSLASH = 0x5c
export const COMMA = 0x2c
