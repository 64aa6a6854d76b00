namespace Lab.Sim.Network;

/// <summary>
/// Which rules turn a message into an arrival time (<c>network.model</c>). The kernel's own rules are
/// <see cref="Nic"/>; <see cref="SimBlock"/> reproduces another simulator so its published figures
/// can be compared like for like.
/// </summary>
public enum NetworkRules
{
    /// <summary>
    /// Every node has one uplink and one downlink, shared by all of its transfers: a message waits
    /// for the sender's uplink and occupies it for size/upload, travels for the link's latency, then
    /// needs size/download of the receiver's downlink (see <see cref="NetworkModel"/>). The latency
    /// is the base matrix with the configured jitter.
    /// </summary>
    Nic,

    /// <summary>
    /// SimBlock's network (dsg-titech/simblock, <c>simulator/Network.java</c>): each message's latency
    /// is drawn from a Pareto with scale = mean − 5 ms and shape = 0.2 × mean (mean in ms, from the
    /// latency matrix), rounded to whole milliseconds; the kernel charges no bandwidth and keeps no
    /// NIC queues. A SimBlock node times its own block uploads with
    /// <see cref="NetworkSpec.TransferRate"/> and sends them with
    /// <see cref="Nodes.INodeContext.SendUncharged"/>, as SimBlock's <c>Node</c> does.
    /// </summary>
    SimBlock,
}
