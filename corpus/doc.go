// Package corpus generates Blankett's test corpus: blank fillable PDFs made
// from the form templates, filled digital PDFs, simulated scans, mailroom
// batches and broken files, each with a truth JSON saying what the file
// holds and which findings validation must raise. Output is reproducible:
// the same seed gives byte-identical files.
package corpus
