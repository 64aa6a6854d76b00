namespace Lab.Ledger.Crypto;

/// <summary>Bitcoin-style Merkle root: pairs hashed level by level, an odd last node paired with itself.</summary>
public static class MerkleTree
{
    public static Hash Root(IReadOnlyList<Hash> leaves)
    {
        if (leaves.Count == 0) return Hash.Zero;
        var level = leaves.ToArray();
        var count = level.Length;
        while (count > 1)
        {
            var next = (count + 1) / 2;
            for (int i = 0; i < next; i++)
            {
                var left = level[2 * i];
                var right = 2 * i + 1 < count ? level[2 * i + 1] : left;
                level[i] = Hash.Combine(left, right);
            }
            count = next;
        }
        return level[0];
    }
}
