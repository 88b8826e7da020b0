'use strict';
// What sealing costs a signature, measured apart from the noise of a loaded machine: the CPU time
// of the very calls the signing path makes (four AES-256-GCM seals and the email's blind index),
// with the app's own built Keyring and BlindIndex, in this process.
const { requireBuilt } = require('./built');

/** CPU µs per signature of sealing its email, name, city and comment and computing its blind index. */
function sealCostMicros(root, env, iterations = 20000) {
  const [{ validateEnvironment }, { Keyring }, { BlindIndex }] = requireBuilt(
    root,
    'config/environment.js',
    'infra/crypto/keyring.js',
    'infra/crypto/blind-index.js',
  );
  const validated = validateEnvironment(env);
  const keyring = Keyring.fromEnvironment(validated);
  const index = BlindIndex.fromEnvironment(validated);
  const one = (i) => {
    const email = `layla.hassan+${i}@example.org`;
    index.email(email);
    keyring.seal('signature.email', email);
    keyring.seal('signature.name', `ليلى حسن ${i}`);
    keyring.seal('signature.city', 'البصرة');
    keyring.seal('signature.comment', 'أوقفوا تجفيف الأهوار، Save the marshes.');
  };
  for (let i = 0; i < 2000; i++) one(i); // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) one(i);
  const used = process.cpuUsage(start);
  return Math.round(((used.user + used.system) / iterations) * 10) / 10;
}

module.exports = { sealCostMicros };
