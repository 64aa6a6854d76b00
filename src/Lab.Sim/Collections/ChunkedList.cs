namespace Lab.Sim.Collections;

/// <summary>
/// An append-only list stored in chunks of 4,096 items: for logs that grow with the run (a sample per
/// transaction, every submitted transaction). Growing never copies what is there (a <see cref="List{T}"/>
/// copies everything at each doubling, so it allocates about twice what it ends up holding, and the
/// large arrays go to the large-object heap). The first chunk grows from 4 items, so a short list stays small.
/// </summary>
public sealed class ChunkedList<T>
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private T[][] _chunks = [];
    private int _count;

    public int Count => _count;

    public void Add(T item)
    {
        var c = _count >> ChunkBits;
        var i = _count & (ChunkSize - 1);
        if (c == 0)
        {
            if (_chunks.Length == 0) _chunks = [new T[4]];
            else if (i == _chunks[0].Length) Array.Resize(ref _chunks[0], Math.Min(ChunkSize, 2 * i));
        }
        else if (i == 0)
        {
            if (c == _chunks.Length) Array.Resize(ref _chunks, 2 * c);
            _chunks[c] = new T[ChunkSize];
        }
        _chunks[c][i] = item;
        _count++;
    }

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            return _chunks[index >> ChunkBits][index & (ChunkSize - 1)];
        }
        set
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            _chunks[index >> ChunkBits][index & (ChunkSize - 1)] = value;
        }
    }

    /// <summary>Copies every item, in order, into <paramref name="destination"/> from <paramref name="offset"/> on.</summary>
    public void CopyTo(T[] destination, int offset)
    {
        for (int done = 0, c = 0; done < _count; c++)
        {
            var n = Math.Min(_count - done, _chunks[c].Length);
            Array.Copy(_chunks[c], 0, destination, offset + done, n);
            done += n;
        }
    }

    /// <summary>The items in order, as a new array.</summary>
    public T[] ToArray()
    {
        var all = new T[_count];
        CopyTo(all, 0);
        return all;
    }
}
