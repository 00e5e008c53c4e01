import { execFileSync } from 'node:child_process';

/** Whether poppler's pdftotext is installed (web/scripts/install-system-packages.sh installs it); suites say so loudly when not. */
export function pdftotextAvailable(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
