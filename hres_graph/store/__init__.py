"""Where the graph lives: the embedded Oxigraph store and its folders, an external SPARQL store, results."""
