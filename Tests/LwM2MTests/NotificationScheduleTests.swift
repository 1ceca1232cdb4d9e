import Testing
@testable import LwM2M

/// How written attributes become an observation's schedule (parsing itself is tested with the model).
@Suite struct NotificationScheduleTests {
    @Test func writtenThenResetAttributesDriveTheSchedule() throws {
        var a = NotificationAttributes()
        try a.apply(query: ["pmin=10", "pmax=60", "st=2"])
        var s = NotificationSchedule(a)
        #expect(s.minimumPeriod == 10 && s.maximumPeriod == 60 && s.step == 2)
        try a.apply(query: ["pmin", "st"])
        s = NotificationSchedule(a, defaultMinimumPeriod: 3)
        #expect(s.minimumPeriod == 3 && s.maximumPeriod == 60 && s.step == nil)
    }

    @Test func resourceInheritsFromInstanceWhichInheritsFromObject() {
        let object = NotificationAttributes(pmin: 5, pmax: 100, greaterThan: 1)
        let instance = NotificationAttributes(pmax: 50)
        let resource = NotificationAttributes(pmin: 2, step: 3)
        let s = NotificationSchedule(resource.inheriting(from: instance.inheriting(from: object)))
        #expect(s.minimumPeriod == 2 && s.maximumPeriod == 50 && s.greaterThan == 1 && s.step == 3)
    }

    @Test func scheduleFallsBackToServerDefaultsAndIgnoresBadPmax() {
        let s = NotificationSchedule(NotificationAttributes(), defaultMinimumPeriod: 1, defaultMaximumPeriod: 30)
        #expect(s.minimumPeriod == 1 && s.maximumPeriod == 30)
        #expect(NotificationSchedule(NotificationAttributes(pmin: 10, pmax: 5)).maximumPeriod == nil)
        #expect(NotificationSchedule(NotificationAttributes(pmax: 0)).maximumPeriod == nil)
        #expect(NotificationSchedule(NotificationAttributes(pmin: 10, pmax: 10)).maximumPeriod == 10)
    }
}
