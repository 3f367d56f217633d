// Wrapper module: builds etcd's own main package (go.etcd.io/etcd/server/v3) at a pinned release.
module skyshift.local/lab/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 v3.6.16
