import Engine
import Foundation
import Generators
import Testing

final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(String, Bool, Bool)] = []   // label, succeeded, cancelled
    func add(_ label: String, _ ok: Bool, _ cancelled: Bool) { lock.lock(); items.append((label, ok, cancelled)); lock.unlock() }
    var all: [(String, Bool, Bool)] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite struct JobQueueTests {
    func queue(_ outcomes: Outcomes) -> JobQueue {
        JobQueue { status, result, cancelled in
            if case .success = result { outcomes.add(status.label, true, cancelled) } else { outcomes.add(status.label, false, cancelled) }
        }
    }

    /// A job that steps until cancelled or `steps` are done.
    static func stepping(_ steps: Int) -> JobQueue.Work {
        { context in
            for i in 0..<steps {
                guard context.progress(Double(i) / Double(steps)) else { throw GenerationCancelled() }
                usleep(2000)
            }
        }
    }

    @Test func runsJobsInOrderAndReportsProgress() {
        let outcomes = Outcomes()
        let q = queue(outcomes)
        q.submit(key: "a", label: "one", work: Self.stepping(20))
        q.submit(key: "b", label: "two", work: Self.stepping(5))
        usleep(10_000)
        let running = q.statuses
        #expect(running.first?.state == .running)
        #expect(running.count == 2 && running[1].state == .queued)
        q.waitIdle()
        #expect(outcomes.all.map(\.0) == ["one", "two"])
        #expect(outcomes.all.allSatisfy { $0.1 && !$0.2 })
        q.shutdown()
    }

    @Test func aNewerJobForTheSameClipSupersedesTheOlder() {
        let outcomes = Outcomes()
        let q = queue(outcomes)
        q.submit(key: "clip", label: "old", work: Self.stepping(500))
        usleep(20_000)
        q.submit(key: "clip", label: "queued-then-superseded", work: Self.stepping(500))
        q.submit(key: "clip", label: "new", work: Self.stepping(3))
        q.waitIdle()
        let all = outcomes.all
        #expect(all.first { $0.0 == "old" }?.2 == true)                       // cancelled mid-run
        #expect(!all.contains { $0.0 == "queued-then-superseded" })            // dropped before it ran
        #expect(all.first { $0.0 == "new" }.map { $0.1 && !$0.2 } == true)
        q.shutdown()
    }

    @Test func cancelStopsTheRunningJobBetweenSteps() {
        let outcomes = Outcomes()
        let q = queue(outcomes)
        let id = q.submit(key: "x", label: "long", work: Self.stepping(10_000))
        usleep(20_000)
        let start = Date()
        q.cancel(id: id)
        q.waitIdle()
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(outcomes.all.first?.2 == true)
        q.shutdown()
    }
}
