// One lane a core, and one more for the browser soak, which spends its five minutes waiting on a page (its Chromium,
// server and agent still take CPU): on two lanes it would hold one of them for the whole soak.
[assembly: CollectionBehavior(MaxParallelThreads = 3)]
