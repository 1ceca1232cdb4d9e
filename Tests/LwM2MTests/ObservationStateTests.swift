import CoAP
import Testing
@testable import LwM2M

/// Runs an observation in virtual time: `value(t)` gives the target's value at each millisecond
/// the owner looks (every change point and every `nextWake`), and the notification instants are
/// collected, exactly as a client would drive it.
private func run(_ schedule: NotificationSchedule, until end: Int64,
                 changes: [(Int64, ObservedValue)], initial: ObservedValue) -> [(Int64, ObservedValue)] {
    var state = ObservationState(schedule: schedule, initialValue: initial, notifiedAt: .zero)
    var current = initial
    var pending = changes.sorted { $0.0 < $1.0 }
    var sent: [(Int64, ObservedValue)] = []
    while true {
        let nextChange = pending.first?.0
        let nextWake = state.nextWake?.milliseconds
        guard let t = [nextChange, nextWake].compactMap({ $0 }).min(), t <= end else { break }
        if nextChange == t { current = pending.removeFirst().1 }
        if case .notify(let v) = state.evaluate(current: current, now: Instant(milliseconds: t)) {
            sent.append((t, v))
        }
    }
    return sent
}

@Suite struct ObservationStateTests {
    let zero = ObservedValue.numeric(0)

    @Test func anyChangeNotifiesAtOnceWithoutAttributes() {
        let sent = run(NotificationSchedule(NotificationAttributes()), until: 100_000,
                       changes: [(1_000, .text("a")), (1_500, .text("b")), (3_000, .text("b"))],
                       initial: .text(""))
        #expect(sent.map(\.0) == [1_000, 1_500])
    }

    @Test func pmaxForcesNotificationsAtExactMultiplesWhenNothingChanges() {
        let sent = run(NotificationSchedule(NotificationAttributes(pmax: 60)), until: 300_000,
                       changes: [], initial: zero)
        #expect(sent.map(\.0) == [60_000, 120_000, 180_000, 240_000, 300_000])
    }

    @Test func pmaxBoundaryIsExact() {
        var s = ObservationState(schedule: NotificationSchedule(NotificationAttributes(pmax: 10)),
                                 initialValue: zero, notifiedAt: .zero)
        #expect(s.nextWake == Instant(milliseconds: 10_000))
        #expect(s.evaluate(current: zero, now: Instant(milliseconds: 9_999)) == .wait)
        #expect(s.evaluate(current: zero, now: Instant(milliseconds: 10_000)) == .notify(zero))
        #expect(s.nextWake == Instant(milliseconds: 20_000))
    }

    @Test func pminHoldsAChangeBackUntilItsExactEnd() {
        var s = ObservationState(schedule: NotificationSchedule(NotificationAttributes(pmin: 10)),
                                 initialValue: zero, notifiedAt: .zero)
        #expect(s.nextWake == nil)
        #expect(s.evaluate(current: .numeric(1), now: Instant(milliseconds: 3_000)) == .wait)
        #expect(s.changePending)
        #expect(s.nextWake == Instant(milliseconds: 10_000))
        #expect(s.evaluate(current: .numeric(2), now: Instant(milliseconds: 9_999)) == .wait)
        // The value current at the end of pmin is the one sent.
        #expect(s.evaluate(current: .numeric(2), now: Instant(milliseconds: 10_000)) == .notify(.numeric(2)))
        #expect(!s.changePending && s.nextWake == nil)
    }

    @Test func aChangeAfterPminNotifiesImmediately() {
        let sent = run(NotificationSchedule(NotificationAttributes(pmin: 10)), until: 100_000,
                       changes: [(25_000, .numeric(1)), (30_000, .numeric(2)), (50_000, .numeric(3))],
                       initial: zero)
        #expect(sent.map(\.0) == [25_000, 35_000, 50_000])
        #expect(sent.map(\.1) == [.numeric(1), .numeric(2), .numeric(3)])
    }

    @Test func aChangeThatRevertsDuringPminStillNotifies() {
        let sent = run(NotificationSchedule(NotificationAttributes(pmin: 10)), until: 20_000,
                       changes: [(2_000, .numeric(5)), (4_000, .numeric(0))], initial: zero)
        #expect(sent.map(\.0) == [10_000])
        #expect(sent.first?.1 == zero)
    }

    @Test func pminAndPmaxTogether() {
        // Change every second; pmin 5 paces them. Quiet after 20 s; pmax 30 takes over.
        let changes = (1...20).map { (Int64($0) * 1_000, ObservedValue.numeric(Double($0))) }
        let sent = run(NotificationSchedule(NotificationAttributes(pmin: 5, pmax: 30)),
                       until: 90_000, changes: changes, initial: zero)
        #expect(sent.map(\.0) == [5_000, 10_000, 15_000, 20_000, 50_000, 80_000])
        #expect(sent.last?.1 == .numeric(20))
    }

    @Test func greaterThanNotifiesOnlyOnCrossings() {
        let schedule = NotificationSchedule(NotificationAttributes(greaterThan: 25))
        let values: [Double] = [20, 24, 26, 30, 24, 25, 25.1]
        let changes = values.enumerated().map { (Int64($0.offset + 1) * 1_000, ObservedValue.numeric($0.element)) }
        let sent = run(schedule, until: 60_000, changes: changes, initial: .numeric(10))
        #expect(sent.map(\.1) == [.numeric(26), .numeric(24), .numeric(25.1)])
    }

    @Test func lessThanNotifiesOnlyOnCrossings() {
        let schedule = NotificationSchedule(NotificationAttributes(lessThan: 0))
        let values: [Double] = [3, -1, -5, 0, 2, -0.5]
        let changes = values.enumerated().map { (Int64($0.offset + 1) * 1_000, ObservedValue.numeric($0.element)) }
        let sent = run(schedule, until: 60_000, changes: changes, initial: .numeric(5))
        #expect(sent.map(\.1) == [.numeric(-1), .numeric(0), .numeric(-0.5)])
    }

    @Test func stepMeasuresFromTheLastNotifiedValue() {
        let schedule = NotificationSchedule(NotificationAttributes(step: 2))
        // 0 → 1 (1 off) → 1.9 → 2 (2 off: notify) → 3 → 4 (2 off: notify) → 2.5 → 1.9 (2.1 off: notify)
        let values: [Double] = [1, 1.9, 2, 3, 4, 2.5, 1.9]
        let changes = values.enumerated().map { (Int64($0.offset + 1) * 1_000, ObservedValue.numeric($0.element)) }
        let sent = run(schedule, until: 60_000, changes: changes, initial: zero)
        #expect(sent.map(\.1) == [.numeric(2), .numeric(4), .numeric(1.9)])
    }

    @Test func conditionsAreOredAndPaced() {
        let schedule = NotificationSchedule(NotificationAttributes(pmin: 10, greaterThan: 50, step: 10))
        let changes: [(Int64, ObservedValue)] = [
            (1_000, .numeric(5)),    // nothing: below step, no crossing
            (12_000, .numeric(51)),  // gt crossed after pmin: at once
            (13_000, .numeric(49)),  // gt crossed back within pmin: at 22 s
            (40_000, .numeric(60)),  // step 11 from 49: at once
        ]
        let sent = run(schedule, until: 100_000, changes: changes, initial: zero)
        #expect(sent.map(\.0) == [12_000, 22_000, 40_000])
    }

    @Test func valueConditionsOnNonNumericTargetsFallBackToAnyChange() {
        let schedule = NotificationSchedule(NotificationAttributes(step: 100))
        #expect(schedule.isSignificantChange(from: .text("a"), to: .text("b")))
        #expect(!schedule.isSignificantChange(from: .text("a"), to: .text("a")))
    }

    @Test func recordRestartsBothPeriods() {
        var s = ObservationState(schedule: NotificationSchedule(NotificationAttributes(pmin: 5, pmax: 20)),
                                 initialValue: zero, notifiedAt: .zero)
        _ = s.evaluate(current: .numeric(1), now: Instant(milliseconds: 1_000))
        s.record(.numeric(1), at: Instant(milliseconds: 2_000))
        #expect(!s.changePending)
        #expect(s.nextWake == Instant(milliseconds: 22_000))
    }

    @Test func everyPminPmaxPairKeepsItsBoundsUnderSteadyChange() {
        // A value changing every 700 ms: consecutive notifications are never closer than pmin
        // and (as changes never stop) exactly pmin apart once paced.
        for pmin in UInt32(0)...6 {
            for pmax in [UInt32(0), 3, 7, 15] {
                let changes = (1...60).map { (Int64($0) * 700, ObservedValue.numeric(Double($0))) }
                let sched = NotificationSchedule(NotificationAttributes(pmin: pmin, pmax: pmax))
                let sent = run(sched, until: 42_000, changes: changes, initial: zero)
                var last: Int64 = 0
                for (t, _) in sent {
                    #expect(t - last >= Int64(pmin) * 1_000, "pmin \(pmin) pmax \(pmax) at \(t)")
                    if let m = sched.maximumPeriod { #expect(t - last <= Int64(m) * 1_000) }
                    last = t
                }
                #expect(!sent.isEmpty)
            }
        }
    }
}
