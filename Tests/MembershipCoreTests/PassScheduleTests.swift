import MembershipCore
import Testing

@Suite("Reconcile: the schedule between passes")
struct PassScheduleTests {
  let schedule = PassSchedule(interval: .seconds(300), retryInterval: .seconds(30), jitter: 0.1)

  @Test("after a success the interval, after a failure the retry interval")
  func intervals() {
    #expect(schedule.delay(after: .converged, unit: 0.5) == .seconds(300))
    #expect(schedule.delay(after: .drift, unit: 0.5) == .seconds(300))
    for failure in [PassOutcome.invalid, .sourceFailed, .unobservable, .failed, .blocked, .locked] {
      #expect(schedule.delay(after: failure, unit: 0.5) == .seconds(30), "\(failure)")
    }
  }

  @Test("jitter spreads the delay by at most its share, either way")
  func jitterBounds() {
    #expect(schedule.delay(after: .converged, unit: 0) == .seconds(270))
    #expect(schedule.delay(after: .converged, unit: 0.99) == .milliseconds(329_400))
    #expect(schedule.delay(after: .failed, unit: 0) == .seconds(27))
    // Out-of-range inputs are clamped, never a negative or runaway delay.
    #expect(schedule.delay(after: .converged, unit: -5) == .seconds(270))
    #expect(schedule.delay(after: .converged, unit: 7) == .seconds(330))
    let wild = PassSchedule(interval: .seconds(10), retryInterval: .seconds(1), jitter: 9)
    #expect(wild.jitter == 1)
    #expect(wild.delay(after: .converged, unit: 0) == .milliseconds(1))
  }

  @Test("no jitter: the exact interval whatever the random number")
  func noJitter() {
    let exact = PassSchedule(interval: .seconds(60), retryInterval: .seconds(5), jitter: 0)
    for unit in [0, 0.25, 0.9] {
      #expect(exact.delay(after: .converged, unit: unit) == .seconds(60))
    }
  }
}
