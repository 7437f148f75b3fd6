// Torch's random generator and thread count are process-wide: tests that train must not run side by side,
// or they draw from each other's random streams and stop being reproducible.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
