// The functional tests run real daemons that use both cores; running classes in parallel would make them
// compete for CPU and turn timing-dependent steps (a queue held by a long generation) into noise.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
