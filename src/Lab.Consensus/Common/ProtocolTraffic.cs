using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>
/// Replica-to-replica sends, counted (<c>protocol_messages</c>, <c>protocol_bytes</c>): the numerator
/// of <c>messages_per_decision</c> and <c>bytes_per_decision</c>. Client requests and replies are not
/// protocol traffic and go through <see cref="INodeContext.Send"/> directly.
/// </summary>
public static class ProtocolTraffic
{
    /// <summary>Sends <paramref name="message"/> to another replica and counts it (also when the network then drops it).</summary>
    public static void Send(INodeContext ctx, NodeId to, object message, int sizeBytes)
    {
        ctx.Metrics.Add(StandardMetrics.ProtocolMessages);
        ctx.Metrics.Add(StandardMetrics.ProtocolBytes, sizeBytes);
        ctx.Send(to, message, sizeBytes);
    }
}
