namespace Lab.Sim.Network;

/// <summary>
/// How hard one node's NIC worked in a run: the share of the run each direction was busy (0 to 1)
/// and the 99th percentile of the time a message waited behind earlier ones, in seconds. All zero
/// where the capacity is unlimited.
/// </summary>
public sealed record NicUsage(double UplinkUtilisation, double UplinkQueueP99Seconds, double DownlinkUtilisation, double DownlinkQueueP99Seconds);
