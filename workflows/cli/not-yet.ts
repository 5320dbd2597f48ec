// Placeholder for npm scripts whose feature has not landed yet: says so and fails.
const feature = process.argv[2] ?? 'this command';
console.error(`${feature}: not yet available in this version. See README.md "Status" for what works today.`);
process.exit(1);
