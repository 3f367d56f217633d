// Wrapper module: pins kwok and records its dependency sums so builds never consult the checksum database.
module skyshift.local/lab/kwok

go 1.26.0

require sigs.k8s.io/kwok v0.8.0
