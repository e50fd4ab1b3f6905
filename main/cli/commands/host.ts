// `lesiontrack host`: serve the app to a browser on 127.0.0.1 until Ctrl-C,
// for machines without the desktop app and for the browser tests.
import { startHttpHost } from '../../host/http-host';
import { defineCommand, integerOption, UsageError } from '../command';

export const hostCommand = defineCommand({
  name: 'host',
  summary: 'serve the app to a browser on 127.0.0.1 and print the link to open (as JSON)',
  usage: '[--port N] [--demo] [--db PATH]',
  options: {
    port: { type: 'string', valueName: 'N', description: 'the port to listen on (default: any free one)' },
    demo: { type: 'boolean', description: 'open the demo trial (generated beside the store on first use)' },
  },
  async run({ values, positionals, io, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('host takes no arguments.');
    const port = values.port === undefined ? 0 : integerOption('--port', values.port, 0, 65535);
    // The app in a browser: reads open with their subtractions computed already.
    return withWorkstation(async ({ workstation }) => {
      if (values.demo) {
        io.err('Opening the demo trial (generated on first use, a few seconds)...\n');
        await workstation.openDemo();
      }
      const host = await startHttpHost(workstation, { port });
      io.out(`${JSON.stringify({ url: host.url })}\n`);
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => resolveStop());
        process.once('SIGTERM', () => resolveStop());
      });
      await host.close();
      return 0;
    }, { background: true });
  },
});
