using Lab.Sim.Nodes;

namespace Lab.Consensus.Pow;

/// <summary>
/// How blocks travel between peers — what a node announces, requests and uploads — for one
/// <see cref="PowNode"/>, which keeps mining, fork choice and finality. Two relays exist:
/// <see cref="CoreRelay"/>, the lab's model of Bitcoin Core (headers announcements, getdata,
/// BIP 152 compact blocks), and <see cref="SimBlock.SimBlockRelay"/>, SimBlock's rules, used to
/// reproduce SimBlock's figures. A relay lives and dies with its node (a restart builds a new one).
/// </summary>
public abstract class BlockRelay(PowNode node)
{
    /// <summary>The node this relay serves.</summary>
    protected PowNode Node { get; } = node;

    /// <summary>The node starts (or restarts) with <paramref name="chain"/> as its best chain.</summary>
    public virtual void OnStart(INodeContext ctx, PowBlock chain) { }

    /// <summary>The node now holds <paramref name="block"/> (mined it or connected it).</summary>
    public virtual void Holds(INodeContext ctx, PowBlock block) { }

    /// <summary>
    /// Tells peers about a new best chain ending at <paramref name="tip"/>, which adds
    /// <paramref name="headers"/> blocks to what they may know; <paramref name="except"/> is the peer it
    /// came from (−1: none), which a relay may skip.
    /// </summary>
    public abstract void Announce(INodeContext ctx, PowBlock tip, int headers, int except);

    /// <summary>Handles a relay message; false if <paramref name="message"/> is not one of this relay's.</summary>
    public abstract bool OnMessage(INodeContext ctx, NodeId from, object message);

    /// <summary>Handles a relay timer; false if <paramref name="state"/> is not one of this relay's.</summary>
    public abstract bool OnTimer(INodeContext ctx, object state);
}
