/** Placeholder: the bench tool is being written. */
console.error('tools/bench is not written yet');
process.exit(2);
