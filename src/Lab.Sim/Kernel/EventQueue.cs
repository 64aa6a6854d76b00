namespace Lab.Sim.Kernel;

/// <summary>
/// One node's pending events, smallest <see cref="EventKey"/> first: a binary heap of (key, envelope)
/// pairs in one array. Written for the kernel's hot path (every event passes through it twice):
/// the key comparison is inlined instead of going through an <see cref="IComparer{T}"/>, and an
/// idle node's queue holds no array until its first event. Keys are unique (source, sequence), so
/// the order never depends on insertion order. A struct kept inside its node's host (a mutable
/// field, never copied): with thousands of nodes each object on the way to the array is a cache miss.
/// </summary>
internal struct EventQueue
{
    private struct Entry
    {
        public EventKey Key;
        public Envelope Envelope;
    }

    private Entry[]? _items; // null until the first event
    private int _count;

    public readonly int Count => _count;

    public readonly bool TryPeek(out Envelope envelope, out EventKey key)
    {
        if (_count == 0) { envelope = default; key = default; return false; }
        ref var top = ref _items![0];
        envelope = top.Envelope;
        key = top.Key;
        return true;
    }

    public void Enqueue(in Envelope envelope, in EventKey key)
    {
        if (_items is null || _count == _items.Length) Array.Resize(ref _items, Math.Max(4, 2 * _count));
        var items = _items;
        int i = _count++;
        // Sift up: move parents down until the new key's place is found.
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(key, items[parent].Key)) break;
            items[i] = items[parent];
            i = parent;
        }
        items[i].Key = key;
        items[i].Envelope = envelope;
    }

    /// <summary>Removes the smallest event (the queue must not be empty).</summary>
    public void Dequeue()
    {
        var items = _items!;
        int n = --_count;
        if (n == 0) { items[0] = default; return; }
        var last = items[n];
        items[n] = default; // let the payload go
        // Sift the last entry down from the root.
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && Less(items[child + 1].Key, items[child].Key)) child++;
            if (!Less(items[child].Key, last.Key)) break;
            items[i] = items[child];
            i = child;
        }
        items[i] = last;
    }

    /// <summary>How many queued events are not timers (messages, at the node or at its downlink).</summary>
    public readonly int CountMessages()
    {
        int c = 0;
        for (int i = 0; i < _count; i++) if (_items![i].Envelope.Kind != EnvelopeKind.Timer) c++;
        return c;
    }

    public void Clear()
    {
        if (_items is not null) Array.Clear(_items, 0, _count);
        _count = 0;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool Less(in EventKey x, in EventKey y) =>
        x.Time != y.Time ? x.Time < y.Time : x.Source != y.Source ? x.Source < y.Source : x.Sequence < y.Sequence;
}
