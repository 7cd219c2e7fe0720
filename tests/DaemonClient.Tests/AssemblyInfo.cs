// The failover tests run several real daemons on two cores; one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
