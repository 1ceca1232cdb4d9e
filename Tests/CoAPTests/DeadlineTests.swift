import Testing
@testable import CoAP

/// `Instant.earliest` and `DeadlineQueue.earliest`, which every `nextDeadline` getter builds on.
@Suite("Deadlines")
struct DeadlineTests {
    @Test func earliestOfTwoOptionalInstants() {
        let a = Instant(milliseconds: 5), b = Instant(milliseconds: 7)
        #expect(Instant.earliest(a, b) == a)
        #expect(Instant.earliest(b, a) == a)
        #expect(Instant.earliest(nil, b) == b)
        #expect(Instant.earliest(a, nil) == a)
        #expect(Instant.earliest(nil, nil) == nil)
        #expect(Instant.earliest(b, b) == b)
    }

    @Test func queueEarliestFollowsPushesAndPops() {
        var q = DeadlineQueue<String>()
        #expect(q.earliest == nil)
        q.push("late", at: Instant(milliseconds: 30))
        q.push("early", at: Instant(milliseconds: 10))
        q.push("middle", at: Instant(milliseconds: 20))
        #expect(q.earliest == Instant(milliseconds: 10))
        #expect(q.popDue(at: Instant(milliseconds: 10))?.element == "early")
        #expect(q.earliest == Instant(milliseconds: 20))
        #expect(q.popDue(at: Instant(milliseconds: 15)) == nil)
        _ = q.popDue(at: Instant(milliseconds: 100))
        _ = q.popDue(at: Instant(milliseconds: 100))
        #expect(q.earliest == nil)
    }
}
