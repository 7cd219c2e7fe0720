// End-to-end tests run a real daemon and the bot on two cores; running classes in parallel would turn their pacing into noise.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
