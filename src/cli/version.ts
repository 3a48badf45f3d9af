// The version Specter reports: `specter --version`, the reports' tool field, specter_build_info.
export const SPECTER_VERSION = '0.1.0'
