using Lab.Consensus.Common;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Byzantine;

/// <summary>What a protocol message is, for message-level Byzantine filters and metrics.</summary>
public enum BftMessageKind { Proposal, Vote, ViewChange, Checkpoint, Transfer }

/// <summary>A protocol message between replicas, signed by its sender.</summary>
public interface IBftMessage
{
    BftMessageKind Kind { get; }
    /// <summary>What the signature covers, recomputed from the message's content.</summary>
    Statement Statement { get; }
    Signature Sig { get; }
}

/// <summary>
/// A replica's sending side: charges signing (CPU), addresses replica ids (both nodes of a twin), counts
/// <c>protocol_messages</c>/<c>protocol_bytes</c>, and applies the message-level Byzantine behaviours
/// (withhold drops or delays proposals and votes; forge adds copies under other names, signed with the
/// forger's own key). Protocol-level behaviours (equivocation, double votes, lying certificates) live
/// in the protocols. The protocol signs each message with <see cref="Authenticator"/> when it builds it.
/// </summary>
public sealed class BftOutbox(BftCommittee committee, ByzantineRole role, AuthenticationCosts costs, Authenticator auth, Func<IBftMessage, int, IBftMessage?>? forge = null)
{
    /// <summary>Timer state for a delayed (withheld) message.</summary>
    public sealed record Delayed(NodeId To, IBftMessage Message, int SizeBytes);

    public BftCommittee Committee => committee;

    // Honest senders (and double voters and equivocators, whose variants the protocols pick) put every message on
    // the wire as it is: no per-recipient check of the message-level behaviours.
    private readonly bool _plain = role.Behaviour is not (ByzantineBehaviour.Silent or ByzantineBehaviour.Withhold or ByzantineBehaviour.Forge);

    /// <summary>Sends to every replica except this one (its own copy is handled locally by the protocol).</summary>
    public void Multicast(INodeContext ctx, IBftMessage message, int sizeBytes)
    {
        Sign(ctx);
        int sent = 0;
        for (int r = 0; r < committee.N; r++)
        {
            if (r == role.Replica) continue;
            if (!_plain) { sent += Deliver(ctx, r, message, sizeBytes); continue; }
            foreach (var node in committee.InstancesSpan(r)) ctx.Send(node, message, sizeBytes);
            sent += committee.InstancesSpan(r).Length;
        }
        Count(ctx, sent, sizeBytes);
    }

    /// <summary>Sends to one replica (nothing if it is this replica).</summary>
    public void Send(INodeContext ctx, int replica, IBftMessage message, int sizeBytes, bool sign = true)
    {
        if (replica == role.Replica) return;
        if (sign) Sign(ctx);
        Count(ctx, Deliver(ctx, replica, message, sizeBytes), sizeBytes);
    }

    /// <summary>Signs once (e.g. before sending per-recipient variants by <see cref="SendUnsigned"/>).</summary>
    public void Sign(INodeContext ctx)
    {
        if (costs.Sign.Nanos > 0) ctx.ChargeCpu(costs.Sign);
    }

    public void SendUnsigned(INodeContext ctx, int replica, IBftMessage message, int sizeBytes)
    {
        if (replica != role.Replica) Count(ctx, Deliver(ctx, replica, message, sizeBytes), sizeBytes);
    }

    /// <summary>Puts the message on the wire to every node of <paramref name="replica"/>; returns how many copies it sent.</summary>
    private int Deliver(INodeContext ctx, int replica, IBftMessage message, int sizeBytes)
    {
        if (role.Is(ByzantineBehaviour.Silent)) return 0;
        var heldBack = role.Is(ByzantineBehaviour.Withhold)
            && message.Kind is BftMessageKind.Proposal or BftMessageKind.Vote
            && ctx.Random.Chance(role.Spec.WithholdProbability);
        int sent = 0;
        var nodes = committee.InstancesSpan(replica);
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            if (heldBack)
            {
                if (role.Spec.WithholdDelay is { } delay) ctx.SetTimer(delay, new Delayed(node, message, sizeBytes));
                continue;
            }
            ctx.Send(node, message, sizeBytes);
            sent++;
            if (role.Is(ByzantineBehaviour.Forge) && message.Kind == BftMessageKind.Vote && forge is not null)
            {
                // Claims to be the next replica; the signature cannot verify.
                var claimed = (role.Replica + 1 + ctx.Random.Next(committee.N - 1)) % committee.N;
                if (forge(message, claimed) is { } forged) { ctx.Send(node, forged, sizeBytes); sent++; }
            }
        }
        return sent;
    }

    /// <summary>Sends a withheld message when its delay is over (call from the protocol's OnTimer).</summary>
    public void Release(INodeContext ctx, Delayed d)
    {
        ctx.Send(d.To, d.Message, d.SizeBytes);
        Count(ctx, 1, d.SizeBytes);
    }

    /// <summary>Counts <c>protocol_messages</c>/<c>protocol_bytes</c> once per send call rather than per copy
    /// (two metric lookups instead of 2(n−1) per multicast; the totals are the same whole numbers).</summary>
    private static void Count(INodeContext ctx, int messages, int sizeBytes)
    {
        if (messages == 0) return;
        ctx.Metrics.Add(StandardMetrics.ProtocolMessages, messages);
        ctx.Metrics.Add(StandardMetrics.ProtocolBytes, (double)messages * sizeBytes);
    }

    /// <summary>
    /// Receiving side: charges verification and accepts the message only if its signature verifies for
    /// its content and names the replica the sending node runs; counts <c>rejected_messages</c> otherwise.
    /// Certificates inside the message are the protocol's to check.
    /// </summary>
    public bool Authentic(INodeContext ctx, NodeId from, IBftMessage message)
    {
        if (costs.Verify.Nanos > 0) ctx.ChargeCpu(costs.Verify);
        if (committee.ReplicaOf(from) == message.Sig.Signer && auth.Verify(message.Sig, message.Statement, committee.N)) return true;
        ctx.Metrics.Add(BftMetrics.RejectedMessages);
        return false;
    }
}
