using Akka.Actor;
using Akka.Cluster;
using Lab.Experiments.Results;

namespace Lab.Cluster;

/// <summary>
/// A worker's actor: finds the coordinator among the cluster's members, proves the shared secret, then
/// pulls runs: as many as it has cores at first, one more each time a run finishes. Runs execute on
/// their own threads (<see cref="WorkerRuns"/>), each in its own simulation, never on the cluster's clock.
/// </summary>
public sealed class WorkerNode : ReceiveActor
{
    /// <summary>Self: a run finished (its answer to forward), on the coordinator it was given by.</summary>
    private sealed record Finished(IClusterMessage Answer, IActorRef Coordinator);

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly WorkerSession _session;
    private IActorRef? _coordinator;
    private Address? _coordinatorAddress;

    public WorkerNode(WorkerSession session)
    {
        _session = session;
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (_coordinator is not null || !up.Member.HasRole(ClusterSettings.CoordinatorRole)) return;
            _coordinatorAddress = up.Member.Address;
            Context.ActorSelection(new RootActorPath(up.Member.Address) / "user" / ClusterSettings.CoordinatorName)
                .Tell(new Hello(session.Name, session.Cores, LabBuild.Id));
        });
        Receive<Challenge>(c => Sender.Tell(new Proof(session.Secret.Prove(c.Nonce))));
        Receive<Welcome>(_ =>
        {
            _coordinator = Sender;
            session.Log($"joined coordinator {_coordinatorAddress?.Host}:{_coordinatorAddress?.Port}; pulling up to {session.Cores} run(s) at a time");
            Sender.Tell(new Pull(session.Cores));
        });
        Receive<Refused>(r =>
        {
            session.Refuse(r.Reason);
            Context.System.Terminate();
        });
        Receive<Work>(w =>
        {
            var coordinator = Sender;
            foreach (var job in w.Jobs)
            {
                var self = Self;
                var token = session.Stopping;
                new Thread(() =>
                {
                    try { self.Tell(new Finished(session.Runs.Execute(job, token), coordinator)); }
                    catch (OperationCanceledException) { }
                }) { IsBackground = true, Name = "lab-run-" + job.Id }.Start();
            }
        });
        Receive<Finished>(f =>
        {
            // Sent to the coordinator that gave the run, even if another has appeared since.
            f.Coordinator.Tell(f.Answer);
            f.Coordinator.Tell(new Pull(1));
            if (f.Answer is Done) session.Completed();
        });
        Receive<ClusterEvent.UnreachableMember>(u => CoordinatorGone(u.Member, "unreachable"));
        Receive<ClusterEvent.MemberRemoved>(r => CoordinatorGone(r.Member, "gone"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    private void CoordinatorGone(Member m, string how)
    {
        if (m.Address != _coordinatorAddress) return;
        _session.Log($"coordinator {m.Address.Host}:{m.Address.Port} {how}");
        _coordinator = null;
        _coordinatorAddress = null;
        _cluster.Down(m.Address);
        // The coordinator is usually the seed, and then this cluster has ended: start over and join the seed's
        // next incarnation. A worker that is itself the seed stays, and serves the next coordinator that joins.
        if (_session.IsSeed) return;
        _session.CoordinatorLeft();
        Context.System.Terminate();
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
