using Akka.Actor;
using Akka.Cluster;
using Lab.Experiments.Results;

namespace Lab.Cluster;

/// <summary>
/// The coordinator actor: admits workers that prove the shared secret and run the same build, hands
/// runs to workers that pull (never pushes), and re-queues the runs of a worker that the failure
/// detector declares unreachable (then removes it from the cluster). What happens to a finished run is
/// not its business: it passes each event to <see cref="ClusterRunExecutor"/> through its <c>events</c> callback.
/// </summary>
public sealed class Coordinator : ReceiveActor
{
    /// <summary>Local: a batch of runs to hand out.</summary>
    public sealed record Submit(IReadOnlyList<JobOffer> Jobs);

    /// <summary>Local: forget every run not finished (the batch stopped); results still arriving are ignored.</summary>
    public sealed record Drop;

    private sealed class WorkerState(IActorRef actor, string name, int cores)
    {
        public IActorRef Actor { get; } = actor;
        public string Name { get; } = name;
        public int Cores { get; } = cores;
        public byte[]? Nonce { get; set; }
        public bool Admitted { get; set; }
        /// <summary>Runs the worker has asked for and not yet been given.</summary>
        public int Wanted { get; set; }
    }

    private readonly SharedSecret _secret;
    private readonly Action<CoordinatorEvent> _events;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<Address, WorkerState> _workers = [];
    private readonly SortedSet<long> _queue = [];
    private readonly Dictionary<long, (JobOffer Offer, Address? At)> _jobs = [];

    private readonly int _waitForWorkers;
    private bool _enoughJoined;

    public Coordinator(SharedSecret secret, Action<CoordinatorEvent> events, int waitForWorkers = 1)
    {
        _secret = secret;
        _events = events;
        _waitForWorkers = Math.Max(1, waitForWorkers);
        Receive<Hello>(OnHello);
        Receive<Proof>(OnProof);
        Receive<Pull>(OnPull);
        Receive<Done>(d =>
        {
            if (!_jobs.Remove(d.Id)) return; // already finished elsewhere, or dropped: runs are deterministic, the first copy wins
            _queue.Remove(d.Id);
            _events(new CoordinatorEvent.Finished(d.Id, d.Record));
        });
        Receive<Failed>(f =>
        {
            if (_jobs.ContainsKey(f.Id)) _events(new CoordinatorEvent.JobFailed(f.Id, $"on worker {Name(Sender.Path.Address)}: {f.Error}"));
        });
        Receive<Submit>(s =>
        {
            foreach (var j in s.Jobs) { _jobs[j.Id] = (j, null); _queue.Add(j.Id); }
            Dispatch();
        });
        Receive<Drop>(_ => { _jobs.Clear(); _queue.Clear(); });
        Receive<ClusterEvent.UnreachableMember>(u => Lost(u.Member.Address, "unreachable (its heartbeats stopped)"));
        Receive<ClusterEvent.MemberRemoved>(r => Lost(r.Member.Address, "left the cluster"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private string Name(Address a) => _workers.TryGetValue(a, out var w) ? w.Name : $"{a.Host}:{a.Port}";

    private void OnHello(Hello h)
    {
        var address = Sender.Path.Address;
        if (h.LabBuild != LabBuild.Id)
        {
            Refuse(address, Sender, $"this worker runs another build of lab ({Short(h.LabBuild)}; the coordinator runs {Short(LabBuild.Id)}): its results could differ; build the same checkout everywhere");
            return;
        }
        var state = new WorkerState(Sender, $"{h.Worker}@{address.Host}:{address.Port}", Math.Max(1, h.Cores)) { Nonce = SharedSecret.NewChallenge() };
        _workers[address] = state;
        Sender.Tell(new Challenge(state.Nonce));
    }

    private void OnProof(Proof p)
    {
        var address = Sender.Path.Address;
        if (!_workers.TryGetValue(address, out var w) || w.Nonce is null) return;
        var nonce = w.Nonce;
        w.Nonce = null; // one answer per challenge
        if (!_secret.Verify(nonce, p.Mac))
        {
            _workers.Remove(address);
            Refuse(address, Sender, "wrong secret: the worker's LAB_CLUSTER_SECRET (or --secret-file) differs from the coordinator's");
            return;
        }
        w.Admitted = true;
        Sender.Tell(new Welcome(Self.Path.ToString()));
        _events(new CoordinatorEvent.WorkerJoined(w.Name, w.Cores, _workers.Values.Count(x => x.Admitted)));
    }

    private void Refuse(Address address, IActorRef worker, string reason)
    {
        worker.Tell(new Refused(reason));
        _events(new CoordinatorEvent.WorkerRefused($"{address.Host}:{address.Port}", reason));
        // Out of the cluster too, so it holds nothing up; the message goes first (same connection, in order).
        Context.System.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromSeconds(1), () => _cluster.Down(address));
    }

    private void OnPull(Pull p)
    {
        if (!_workers.TryGetValue(Sender.Path.Address, out var w) || !w.Admitted) return;
        w.Wanted += Math.Clamp(p.Slots, 0, 1024);
        Dispatch();
    }

    private void Dispatch()
    {
        // Hold the queue until the workers asked for have joined; once they have, losing some does not stop the sweep.
        _enoughJoined |= _workers.Values.Count(x => x.Admitted) >= _waitForWorkers;
        if (!_enoughJoined) return;
        foreach (var w in _workers.Values.Where(x => x.Admitted && x.Wanted > 0).OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            var given = new List<JobOffer>();
            while (w.Wanted > 0 && _queue.Count > 0)
            {
                var id = _queue.Min;
                _queue.Remove(id);
                var address = w.Actor.Path.Address;
                _jobs[id] = (_jobs[id].Offer, address);
                given.Add(_jobs[id].Offer);
                w.Wanted--;
            }
            if (given.Count == 0) continue;
            w.Actor.Tell(new Work(given));
            foreach (var j in given) _events(new CoordinatorEvent.Started(j.Id, w.Name));
        }
    }

    private void Lost(Address address, string why)
    {
        if (address == _cluster.SelfAddress || !_workers.Remove(address, out var w)) return;
        var requeued = 0;
        foreach (var (id, job) in _jobs.Where(j => j.Value.At == address).ToList())
        {
            _jobs[id] = (job.Offer, null);
            _queue.Add(id);
            requeued++;
        }
        if (w.Admitted) _events(new CoordinatorEvent.WorkerLost(w.Name, why, requeued, _workers.Values.Count(x => x.Admitted)));
        _cluster.Down(address);
        Dispatch();
    }

    private static string Short(string id) => id.Length > 19 ? id[..19] + "…" : id;
}

/// <summary>What the coordinator tells the executor waiting for a batch.</summary>
public abstract record CoordinatorEvent
{
    public sealed record Started(long Id, string Worker) : CoordinatorEvent;
    public sealed record Finished(long Id, byte[] Record) : CoordinatorEvent;
    public sealed record JobFailed(long Id, string Error) : CoordinatorEvent;
    public sealed record WorkerJoined(string Worker, int Cores, int Workers) : CoordinatorEvent;
    public sealed record WorkerLost(string Worker, string Why, int Requeued, int Workers) : CoordinatorEvent;
    public sealed record WorkerRefused(string Worker, string Reason) : CoordinatorEvent;
}
