"""`hres check`: the hand-edited RDF's QC queries and the OWL reasoner."""
