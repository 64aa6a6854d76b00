namespace Lab.Finance.Confirmations;

/// <summary>The bank-confirmation scenario's metric names, each defined once, with what each means.</summary>
public static class ConfirmationMetrics
{
    public const string Requests = "confirmations_requested";
    public const string Answered = "confirmations_answered";
    public const string Blocked = "confirmations_blocked";
    public const string Turnaround = "confirmation_turnaround_s";
    public const string TurnaroundMean = "confirmation_turnaround_mean_s";
    public const string TurnaroundMin = "confirmation_turnaround_min_s";
    public const string OfficeTurnaround = "confirmation_office_turnaround_s";
    public const string OfficeTurnaroundMean = "confirmation_office_turnaround_mean_s";
    public const string OfficeTurnaroundMin = "confirmation_office_turnaround_min_s";
    public const string FollowUps = "confirmation_follow_ups";
    public const string Tampered = "replies_tampered";
    public const string ForgedAccepted = "forged_replies_accepted";
    public const string TamperDetected = "tampered_replies_detected";
    public const string Unopened = "replies_firm_could_not_open";
    public const string AuditViolations = "confirmation_audit_violations";
    public const string ReplicasAgree = "confirmation_replicas_agree";
    public const string PrivacyBreaches = Lab.Finance.Privacy.ReadMatrix.BreachesMetric;
    public const string OnChain = "confirmation_on_chain";
    public const string JourneyRequest = "journey_request";
    public const string JourneyStage = "journey_stage";
    public const string JourneyWho = "journey_who";
    public const string JourneyAt = "journey_at_s";
    public const string JourneyDetail = "journey_detail";

    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (Requests, "confirmation requests sent by audit firms (the same in both channels)"),
        (Answered, "requests whose reply the firm holds and accepted by the end"),
        (Blocked, "requests without an accepted reply at the end (the client never authorised)"),
        (Turnaround, "samples: request sent → the firm holds the reply it accepts, elapsed seconds"),
        (TurnaroundMean, "mean elapsed turnaround, seconds"),
        (TurnaroundMin, "shortest elapsed turnaround, seconds"),
        (OfficeTurnaround, "samples: the same span counted in office hours (09:00–17:00 on business days), seconds"),
        (OfficeTurnaroundMean, "mean turnaround in office hours, seconds (the CBA platform's published average: 3 h 38 min)"),
        (OfficeTurnaroundMin, "shortest turnaround in office hours, seconds (CBA platform: 1 h 15 min)"),
        (FollowUps, "paper: requests the bank answered only after a second request"),
        (Tampered, "replies a fraudster intercepted and replaced with a forgery (the same in both channels)"),
        (ForgedAccepted, "forged replies the firm accepted as the bank's (paper: all of them)"),
        (TamperDetected, "forged replies the contract refused because their digest is not the one the bank anchored"),
        (Unopened, "on chain: accepted replies the firm could not open with its own key (must be 0)"),
        (AuditViolations, "on chain: confirmations whose stored letters or steps broke the ledger's invariants after a block (must be 0)"),
        (ReplicasAgree, "on chain: 1 when replicas at the same height hold the same confirmation state"),
        (PrivacyBreaches, "on chain: cells of the who-can-read matrix, derived from a replica's state, that differ from the platform's rules (must be 0)"),
        (OnChain, "which channel ran: 1 on chain, 0 paper"),
        (JourneyRequest, "followed requests (report: follow one confirmation): the request's index, one sample per step; journey_stage, journey_who, journey_at_s and journey_detail align with it"),
        (JourneyStage, "followed requests: what the step was (0 sent, 1 requested on chain, 2 client has it, 3 withheld, 4 client signed or authorised, 5 authorisation final, 6 bank desk has it, 7 query posted, 8 query arrived, 9 second request posted, 10 reply sent, 11 reply final, 12 downloaded, 13 tampered copy refused, 14 received)"),
        (JourneyWho, "followed requests: who took the step (firms 0…, then clients, then banks)"),
        (JourneyAt, "followed requests: when the step was taken, s"),
        (JourneyDetail, "followed requests: the step's detail (bank has it: 1 the second request; downloaded: 1 a substituted copy; received: 1 a forgery)"),
        ($"{ConfirmationPrivacy.MetricPrefix}.<party>.<item>", "on chain: who-can-read matrix from a replica's state: 2 read, 1 hash only, 0 nothing, −1 mixed"),
        .. ConfirmationEvidence.Descriptions,
    ];
}
