// Shards: K/N parsing and the schedulers' variables (Slurm arrays with MIN and STEP, Kubernetes Indexed Jobs).

@testable import SnippetVerifier
import Testing

@Suite struct ShardTests {
    @Test func parsesKOverN() {
        #expect(Shard(parsing: "0/4") == Shard(index: 0, count: 4))
        #expect(Shard(parsing: " 3 / 4 ") == Shard(index: 3, count: 4))
        for bad in ["4/4", "3/2", "-1/2", "1/0", "1", "a/b", "1/2/3", ""] {
            #expect(Shard(parsing: bad) == nil, "\(bad) must be refused")
        }
    }

    @Test func takesLinesRoundRobin() throws {
        let shard = try #require(Shard(index: 1, count: 3))
        #expect((0..<9).filter { shard.contains(lineIndex: $0) } == [1, 4, 7])
    }

    @Test func slurmArrayWithMinAndStep() throws {
        // sbatch --array=1-5:2 runs the tasks 1, 3, 5.
        let shards = try [1, 3, 5].map { id in
            try Shard.fromEnvironment([
                "SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "5",
                "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "3",
            ])
        }
        #expect(shards == [Shard(index: 0, count: 3), Shard(index: 1, count: 3), Shard(index: 2, count: 3)])
    }

    @Test func slurmCountFromMaxWhenCountIsMissing() throws {
        let shard = try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "9"])
        #expect(shard == Shard(index: 4, count: 10))
    }

    @Test func kubernetesIndexedJob() throws {
        let shard = try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "2", "VERIFY_SNIPPETS_SHARDS": "5"])
        #expect(shard == Shard(index: 2, count: 5))
    }

    @Test func noSchedulerMeansNoShard() throws {
        #expect(try Shard.fromEnvironment(["HOME": "/root"]) == nil)
    }

    @Test(arguments: [
        ["SLURM_ARRAY_TASK_ID": "3"],
        ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "3"],
        ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "3"],
        ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "3"],
        ["JOB_COMPLETION_INDEX": "0"],
        ["JOB_COMPLETION_INDEX": "5", "VERIFY_SNIPPETS_SHARDS": "5"],
    ])
    func incompleteOrOutOfRangeVariablesAreAnError(_ environment: [String: String]) {
        #expect(throws: VerifierError.self) { try Shard.fromEnvironment(environment) }
    }
}
