using Lab.Ledger.Blocks;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Solo;

/// <summary>A solo node's blocks, in its durable store (they survive a crash-restart).</summary>
public sealed class SoloChain
{
    public const string StorageKey = "solo.chain";

    public static SoloChain Of(INodeContext ctx) => ctx.Storage.GetOrAdd(StorageKey, () => new SoloChain());

    public List<Block> Blocks { get; } = [];
    public long Height => Blocks.Count;
    public Block? At(long height) => height >= 1 && height <= Blocks.Count ? Blocks[(int)height - 1] : null;
    public Ledger.Crypto.Hash TipHash => Blocks.Count == 0 ? Block.Genesis.Hash : Blocks[^1].Hash;
}
