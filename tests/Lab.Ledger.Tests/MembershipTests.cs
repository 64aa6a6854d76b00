using Lab.Sim.Testing;
using Lab.Ledger.Identity;
using Lab.Sim.Nodes;

namespace Lab.Ledger.Tests;

public class MembershipTests
{
    [Fact]
    public void Non_members_and_read_only_members_are_refused_and_counted()
    {
        // ManualNodeContext nodes are n0 (self) and n1; n1 is not a validator.
        var ctx = new ManualNodeContext(nodes: 2);
        var gate = new MembershipGate(new Consortium([new Member("n0", Role.Validator), new Member("n1", Role.Regulator)]), ctx.Directory);
        Assert.False(gate.AdmitProtocol(ctx, new NodeId(1)));
        Assert.False(gate.AdmitSubmission(ctx, new NodeId(1)));
        Assert.True(gate.AdmitMember(ctx, new NodeId(1)));
        Assert.True(gate.AdmitProtocol(ctx, new NodeId(0)));
        Assert.Equal(2, Lab.Sim.Metrics.RunMetrics.Merge(Lab.Sim.Time.Duration.FromSeconds(1), [ctx.Metrics]).Counter("rejected_messages"));
    }

    [Fact]
    public void An_open_chain_admits_everyone()
    {
        var ctx = new ManualNodeContext(nodes: 2);
        var gate = new MembershipGate(null, ctx.Directory);
        Assert.True(gate.AdmitProtocol(ctx, new NodeId(1)));
        Assert.True(gate.IsOpen);
    }
}
