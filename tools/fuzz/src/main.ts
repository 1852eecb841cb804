/** Placeholder: the fuzz tool is being written. */
console.error('tools/fuzz is not written yet');
process.exit(2);
