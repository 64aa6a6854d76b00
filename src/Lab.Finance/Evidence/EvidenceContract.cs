using System.Globalization;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;

namespace Lab.Finance.Evidence;

/// <summary>One piece of evidence as submitted: its id, the SHA-256 of the off-chain original, what it is, and short
/// metadata (who, when — never the content itself).</summary>
public sealed record EvidenceItem(string Id, Hash Hash, string Kind, string Meta);

/// <summary>A batch of evidence in one call (a hospital's gateway, a bank's reply queue).</summary>
public sealed record EvidenceBatch(IReadOnlyList<EvidenceItem> Items)
{
    public override string ToString() => $"EvidenceBatch {{ {Items.Count} items }}";
}

/// <summary>Evidence as the ledger holds it: who stored it, at which height, and its leaf in which anchoring period.</summary>
public sealed record EvidenceEntry(string Id, Hash Hash, string Kind, string Meta, string StoredBy, long Height, long Period, int Leaf);

/// <summary>The period evidence is being stored into, how many leaves it has so far, and the height of its first leaf.</summary>
public sealed record OpenPeriod(long Period, int Count, long Opened = 0);

/// <summary>An anchored period: the Merkle root over its evidence hashes in storing order.</summary>
public sealed record AnchoredRoot(long Period, Hash Root, int Count, long Height);

/// <summary>
/// Generic evidence storage (issue 14 §5). A recorder stores the hash of an off-chain original with metadata; the
/// hashes accumulate in an open period, and an anchor call closes the period and fixes the Merkle root
/// (<see cref="MerkleTree"/>) over them. Anyone with the ledger can then hand out an inclusion proof
/// (<see cref="EvidenceProofs"/>) that a party holding only the root checks (<see cref="EvidenceVerifier"/>), and
/// anyone holding the original can tell whether it was altered since it was stored: re-hash it and compare.
/// An id is stored once; a repeat is refused, so a stored hash cannot be replaced.
/// </summary>
public sealed class EvidenceContract : IContract
{
    public const string ContractName = "evidence";
    public const string RecorderRole = "recorder";
    public const string AnchorRole = "anchor";
    public string Name => ContractName;

    public const string OpenKey = "evidence-open";
    public static string EntryKey(string id) => "evidence/" + id;
    public static string LeafKey(long period, int leaf) => string.Create(CultureInfo.InvariantCulture, $"evidence-leaf/{period}/{leaf}");
    public static string RootKey(long period) => string.Create(CultureInfo.InvariantCulture, $"evidence-root/{period}");

    public static ContractCall Store(params EvidenceItem[] items) => new(ContractName, "store", new EvidenceBatch(items));
    public static ContractCall Anchor() => new(ContractName, "anchor", null);

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        switch (method, arguments)
        {
            case ("store", EvidenceBatch b):
                ctx.RequireRole(RecorderRole);
                DoStore(ctx, b);
                break;
            case ("anchor", null):
                ctx.RequireRole(AnchorRole);
                DoAnchor(ctx);
                break;
            default:
                ctx.Reject($"evidence has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private static void DoStore(ContractContext ctx, EvidenceBatch b)
    {
        foreach (var item in b.Items)
            if (!Record(ctx, item)) return;
    }

    /// <summary>
    /// Stores one item in the open period for the calling contract (another contract that records evidence as part
    /// of its own call, e.g. a claim's visit record, checks its own caller's role). False, with the call declined,
    /// when the id is empty or already stored.
    /// </summary>
    public static bool Record(ContractContext ctx, EvidenceItem item)
    {
        if (string.IsNullOrEmpty(item.Id)) { ctx.Decline("evidence needs an id"); return false; }
        if (ctx.Get(EntryKey(item.Id)) is EvidenceEntry e) { ctx.Decline($"evidence {item.Id} already stored by {e.StoredBy} at height {e.Height}"); return false; }
        var open = ctx.Get<OpenPeriod>(OpenKey) ?? new OpenPeriod(1, 0);
        ctx.Put(EntryKey(item.Id), new EvidenceEntry(item.Id, item.Hash, item.Kind, item.Meta, ctx.Caller, ctx.Height, open.Period, open.Count));
        ctx.Put(LeafKey(open.Period, open.Count), item.Hash);
        ctx.Put(OpenKey, open with { Count = open.Count + 1, Opened = open.Count == 0 ? ctx.Height : open.Opened });
        return true;
    }

    private static void DoAnchor(ContractContext ctx)
    {
        if (Close(ctx) is not { } root) { ctx.Decline("nothing stored since the last anchor"); return; }
        ctx.Emit(ContractRuntime.ResultEvent, string.Create(CultureInfo.InvariantCulture, $"anchored period {root.Period}: {root.Count} leaves, root {root.Root.Short}"));
    }

    /// <summary>Closes the open period and fixes its Merkle root; null (nothing written) when it has no leaves.</summary>
    public static AnchoredRoot? Close(ContractContext ctx)
    {
        var open = ctx.Get<OpenPeriod>(OpenKey) ?? new OpenPeriod(1, 0);
        if (open.Count == 0) return null;
        var leaves = EvidenceProofs.Leaves(ctx.Get, open.Period, open.Count);
        var root = new AnchoredRoot(open.Period, MerkleTree.Root(leaves), open.Count, ctx.Height);
        ctx.Put(RootKey(open.Period), root);
        ctx.Put(OpenKey, new OpenPeriod(open.Period + 1, 0));
        return root;
    }

    /// <summary>
    /// Anchoring carried by another contract's routine call (a warehouse's hourly readings, any step on the
    /// confirmation platform) instead of a separate anchor transaction: closes the open period when its first leaf was
    /// stored in an earlier block. A period so spans at least one block; the root is fixed by the next such call.
    /// </summary>
    public static AnchoredRoot? CloseIfDue(ContractContext ctx) =>
        ctx.Get<OpenPeriod>(OpenKey) is { Count: > 0 } open && open.Opened < ctx.Height ? Close(ctx) : null;
}

/// <summary>An inclusion proof of one piece of evidence against the root of its anchored period.</summary>
public sealed record EvidenceProof(string Id, Hash Hash, long Period, MerkleProof Proof);

/// <summary>What a holder of the ledger state hands out: the proof that an id's hash is under its period's anchored root.</summary>
public static class EvidenceProofs
{
    /// <summary>The proof for <paramref name="id"/>, or null while it is unknown or its period is not anchored yet.</summary>
    public static EvidenceProof? Prove(Func<string, object?> get, string id)
    {
        if (get(EvidenceContract.EntryKey(id)) is not EvidenceEntry e) return null;
        if (get(EvidenceContract.RootKey(e.Period)) is not AnchoredRoot root) return null;
        return new EvidenceProof(id, e.Hash, e.Period, MerkleTree.Prove(Leaves(get, e.Period, root.Count), e.Leaf));
    }

    /// <summary>The anchored root of <paramref name="period"/>, or null.</summary>
    public static AnchoredRoot? Root(Func<string, object?> get, long period) => get(EvidenceContract.RootKey(period)) as AnchoredRoot;

    internal static List<Hash> Leaves(Func<string, object?> get, long period, int count)
    {
        var leaves = new List<Hash>(count);
        for (int i = 0; i < count; i++) leaves.Add((Hash)get(EvidenceContract.LeafKey(period, i))!);
        return leaves;
    }
}

/// <summary>
/// A party that holds only an anchored root (an auditor, a court, the insurer's own system) and checks what it is
/// shown: that a hash is in the period, and that an off-chain original is the one whose hash was stored.
/// </summary>
public sealed class EvidenceVerifier(Hash root)
{
    public Hash Root => root;

    /// <summary>The proof shows <paramref name="hash"/> under the root.</summary>
    public bool Includes(Hash hash, MerkleProof proof) => MerkleTree.Verify(root, hash, proof);

    /// <summary>The original hashes to a leaf the proof shows under the root: it is what was stored, unaltered.</summary>
    public bool Authentic(ReadOnlySpan<byte> original, MerkleProof proof) => Includes(Hash.Of(original), proof);

    /// <summary>Tamper detection against a stored hash alone: the original no longer hashes to it.</summary>
    public static bool Tampered(ReadOnlySpan<byte> original, Hash stored) => Hash.Of(original) != stored;
}
