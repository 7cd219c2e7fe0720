// These tests start real daemons; in parallel they would fight over the two cores and skew what they measure.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
