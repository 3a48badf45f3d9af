// What the demo says about its admin listener (metrics, admin API, /report): it closes with the
// demo, so its URLs are printed only when --linger keeps it up; otherwise how to keep it.

/** The summary lines about the admin listener at adminUrl, kept up lingerS seconds after the run. */
export function adminListenerLines(adminUrl: string, lingerS: number): string[] {
  if (lingerS > 0) {
    return [
      `Metrics: ${adminUrl}/metrics    (admin API: ${adminUrl}/api/operations, report: ${adminUrl}/report; up for ${lingerS} s)`,
    ]
  }
  return ['Metrics and admin API: closed with the demo; add --linger SECONDS to keep them up (e.g. --linger 120)']
}
