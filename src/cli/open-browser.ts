import { spawn } from 'node:child_process';

/** Opens `url` in the desktop's browser; says so instead when there is none to open it with. */
export function openInBrowser(url: string, note: (text: string) => void): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  const child = spawn(command!, args, { stdio: 'ignore', detached: true });
  child.on('error', () => note(`could not open a browser (${command} is missing); open ${url} yourself`));
  child.unref();
}
