// Local SES v2 (`aws-ses-v2-local`) on a free loopback port; its store (and web inbox) shows what was sent.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type StartSes = typeof import('aws-ses-v2-local').default;

export interface SentEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  at: number;
}
export interface LocalSes {
  url: string;
  sent(): Promise<SentEmail[]>;
  close(): Promise<void>;
}

export const startLocalSes = async (): Promise<LocalSes> => {
  // Loaded when a run asks for it (express, nodemailer, handlebars): the in-process runs never do.
  const sesModule = (await import('aws-ses-v2-local')).default;
  // The package is CommonJS with a default export: under ESM interop it can arrive wrapped once more.
  const startSes = ((sesModule as unknown as { default?: StartSes }).default ?? sesModule) as StartSes;
  const server: Server = await startSes({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async sent() {
      const store = (await (await fetch(`${url}/store`)).json()) as {
        emails: { from: string; destination: { to: string[] }; subject: string; body: { text?: string }; at: number }[];
      };
      return store.emails.map((e) => ({
        from: e.from,
        to: e.destination.to,
        subject: e.subject,
        text: e.body.text ?? '',
        at: e.at,
      }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
