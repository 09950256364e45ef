// `npm start`: the whole product on one machine. Pieces land issue by issue.
console.log('[huitou] the product is not assembled yet: the embedded Temporal dev server, API and builder land in the next issues.');
