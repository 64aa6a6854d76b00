namespace Lab.Sim.Nodes;

/// <summary>
/// What a node does: plain C#, driven by the kernel through <see cref="INodeContext"/>. Protocol,
/// client and institution code implements this; it never touches actors, threads or clocks, so it
/// can be unit-tested with any context.
/// </summary>
public interface INodeBehaviour
{
    /// <summary>Called when the node starts, and again on a fresh instance after a restart
    /// (read <see cref="INodeContext.Storage"/> to recover durable state).</summary>
    void OnStart(INodeContext ctx);

    void OnMessage(INodeContext ctx, NodeId from, object message);

    void OnTimer(INodeContext ctx, object state);
}
