import net from 'node:net';

// The fuzz lane's promise: whatever schemathesis makes the API do (publish a playbook whose webhook names a public
// address, a Slack URL, a stack check), this process connects to nothing but this machine. Every socket the server
// opens goes through net.Socket#connect; one to another host fails like an unreachable network, and is counted.

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3}|localhost)$/i;
export const refusedConnections: string[] = [];

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string; port?: number } | number;
  const host =
    typeof options === 'object' && options !== null
      ? options.path
        ? undefined // a Unix socket (IPC) stays on this machine
        : (options.host ?? 'localhost')
      : typeof options === 'number' || typeof options === 'string'
        ? typeof args[1] === 'string'
          ? args[1]
          : 'localhost'
        : 'localhost';
  if (host !== undefined && !LOOPBACK.test(host.replace(/^\[|\]$/g, ''))) {
    refusedConnections.push(host);
    process.nextTick(() => this.destroy(new Error(`fuzz lane: refused a connection to ${host} (loopback only)`)));
    return this;
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
