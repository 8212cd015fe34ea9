// The one place the browser scripts start Chromium: Debian's /usr/bin/chromium (or CHROMIUM_PATH), headless, with the
// flags that keep it off the network and off the GPU on a CI machine.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--headless'],
  });
}
