process.env.NODE_ENV ??= 'production';
const { main } = await import(process.env.B === 'bundle' ? '../dist/bundle/main.js' : '../dist/cli/main.js');
const code = await main(process.argv.slice(2));
process.stdout.write('', () => process.exit(code));
