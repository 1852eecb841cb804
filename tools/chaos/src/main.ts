/** Placeholder: the chaos tool is being written. */
console.error('tools/chaos is not written yet');
process.exit(2);
