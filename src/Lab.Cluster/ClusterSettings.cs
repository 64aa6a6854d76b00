using Akka.Configuration;

namespace Lab.Cluster;

/// <summary>
/// How a coordinator or worker joins the cluster: where it listens, whom it joins, and how quickly a
/// silent member is declared gone. Everything binds to loopback (127.0.0.1) unless a host is given.
/// <para>Defaults: heartbeats every second; a member silent for <see cref="HeartbeatPause"/> (5 s) is
/// unreachable, and the coordinator then re-queues its runs and removes it. <see cref="ExtraConfig"/>
/// (a HOCON file's text, <c>--cluster-config</c>) overrides any Akka setting, e.g.
/// <c>akka.cluster.failure-detector.acceptable-heartbeat-pause = 20s</c> on a congested network.</para>
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The actor system's name: members of one cluster share it.</summary>
    public const string SystemName = "lab";
    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";
    /// <summary>The coordinator actor's path under /user.</summary>
    public const string CoordinatorName = "coordinator";

    /// <summary>Address to bind and advertise. Default loopback.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>Port to listen on (0: any free one).</summary>
    public int Port { get; init; }
    /// <summary>The seed node to join ("host:port"); null: this node is the seed (joins itself).</summary>
    public string? Join { get; init; }
    public required string Role { get; init; }
    public TimeSpan HeartbeatPause { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The coordinator hands out no run until this many workers are admitted (<c>--cluster-workers</c>), so a
    /// sweep starts on every machine at once instead of on the first to join; later losses do not stop it.</summary>
    public int WaitForWorkers { get; init; } = 1;
    /// <summary>HOCON text applied over everything else.</summary>
    public string? ExtraConfig { get; init; }

    public Config ToConfig()
    {
        var seed = Join ?? $"{Host}:{Port}";
        var hocon = $$"""
            akka {
              # Akka's own log is off: lost connections are expected here (a worker killed, a coordinator done)
              # and lab reports what matters itself. Turn it on with --cluster-config (akka.loglevel = INFO).
              loglevel = OFF
              stdout-loglevel = OFF
              actor {
                provider = cluster
                serializers { lab = "Lab.Cluster.ClusterMessageSerializer, Lab.Cluster" }
                serialization-bindings { "Lab.Cluster.IClusterMessage, Lab.Cluster" = lab }
                serialization-identifiers { "Lab.Cluster.ClusterMessageSerializer, Lab.Cluster" = {{ClusterMessageSerializer.Id}} }
              }
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = "{{Host}}"
                  port = {{Port}}
                  # A run record carries every sample of a run: megabytes at high loads.
                  maximum-frame-size = 64MiB
                  send-buffer-size = 4MiB
                  receive-buffer-size = 4MiB
                }
              }
              cluster {
                roles = ["{{Role}}"]
                seed-nodes = ["akka.tcp://{{SystemName}}@{{seed}}"]
                # No automatic downing: the coordinator alone removes members it cannot hear (a split-brain
                # resolver with two members could down the coordinator itself).
                downing-provider-class = ""
                failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = {{(int)HeartbeatPause.TotalMilliseconds}}ms
                }
                log-info = off
              }
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """;
        var config = ConfigurationFactory.ParseString(hocon);
        return ExtraConfig is null ? config : ConfigurationFactory.ParseString(ExtraConfig).WithFallback(config);
    }

    /// <summary>Parses "host:port" (port 1 to 65535).</summary>
    public static (string Host, int Port)? ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535) return null;
        return (text[..colon], port);
    }
}
