// Sends coupon grants to Errand over AMQP 1.0 with rhea, following docs/reference/wire-contract.md.
//
//   npm ci && node send-grants.js --campaign 1 --users 100 [--password P] [--url amqp://127.0.0.1:5672] [--address /exchange/errand.outside/errand.coupon-grants]
//
// The embedded broker's password is read from ../../errand-data/credentials.properties unless
// --password or ERRAND_AMQP_PASSWORD is given. Resolves once the broker has accepted every message.
'use strict';
const fs = require('fs');
const path = require('path');
const rhea = require('rhea');

const QUEUE = 'errand.coupon-grants';

function option(name, fallback) {
  const at = process.argv.indexOf('--' + name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

function brokerPassword(user) {
  if (option('password')) return option('password');
  if (process.env.ERRAND_AMQP_PASSWORD) return process.env.ERRAND_AMQP_PASSWORD;
  const file = option('credentials', path.join(__dirname, '..', '..', 'errand-data', 'credentials.properties'));
  const line = fs.readFileSync(file, 'utf8').split('\n').find(l => l.startsWith(`amqp.${user}.password=`));
  if (!line) throw new Error(`no password for ${user}: pass --password or set ERRAND_AMQP_PASSWORD`);
  return line.split('=', 2)[1].trim();
}

const url = new URL(option('url', 'amqp://127.0.0.1:5672'));
const user = option('user', 'errand-sender');
const campaign = Number(option('campaign'));
const users = Number(option('users', '10'));
const prefix = option('prefix', 'node-user-');
const address = option('address', QUEUE); // RabbitMQ, as the sender user: /exchange/errand.outside/errand.coupon-grants
if (!Number.isInteger(campaign) || campaign <= 0) throw new Error('--campaign is required');

const container = rhea.create_container();
const connection = container.connect({
  host: url.hostname, port: Number(url.port || 5672), username: user, password: brokerPassword(user)
});
const sender = connection.open_sender({ target: { address }, autosettle: true });

let next = 0, accepted = 0;
function sendWhileCredit() {
  while (next < users && sender.sendable()) {
    const userId = prefix + String(next++).padStart(5, '0');
    sender.send({
      message_id: `coupon:${campaign}:${userId}`,         // the idempotency key: stable across resends
      durable: true,
      subject: 'coupon.grant',
      correlation_id: `campaign:${campaign}`,
      content_type: 'application/json; charset=utf-8',
      creation_time: new Date(),
      body: rhea.message.data_section(Buffer.from(JSON.stringify({ campaignId: campaign, userId, amountCents: 1500 })))
    });
  }
}
sender.on('sendable', sendWhileCredit);
sender.on('accepted', () => {
  if (++accepted === users) {
    console.log(JSON.stringify({ sent: accepted, address }));
    connection.close();
  }
});
sender.on('rejected', context => {
  console.error('the broker refused a message:', context.delivery.remote_state);
  process.exitCode = 1;
  connection.close();
});
connection.on('connection_error', context => {
  console.error('connection refused:', context.connection.error);
  process.exitCode = 1;
});
