import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { checkJava, LocalDynamoError, startLocalDynamo } from '../../src/toolkit';
import { testClient } from '../support/local-table';

describe('startLocalDynamo', () => {
  it('the run\'s DynamoDB Local answers requests', async () => {
    const client = testClient();
    const out = await client.send(new ListTablesCommand({}));
    expect(Array.isArray(out.TableNames)).toBe(true);
    client.destroy();
  });

  it('fails with what to install when Java is missing', async () => {
    expect(() => checkJava('/nonexistent/java')).toThrow(LocalDynamoError);
    expect(() => checkJava('/nonexistent/java')).toThrow(/Java 17 or newer.*apt-get install.*docker compose/s);
    await expect(startLocalDynamo({ javaCommand: '/nonexistent/java' })).rejects.toThrow(/Java was not found/);
  });
});
