// The person's partition on DynamoDB (docs/contract.md §11.1): the account list and the person's facts are sets and
// flags added by updates (so the intake's writes never overwrite one another), the contact ledger's places are a
// string set whose size the cap conditions, and a payment's split is created once.
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AllocationPart, AllocationRound } from '../../domain/allocation';
import type { Channel } from '../../domain/channels';
import type { ContactKind, Person, PersonFact, Stop } from '../../domain/person';
import type { ContactSlot, PersonStore } from '../../ports';
import { allocationExpiry, allocationSk, ledgerExpiry, ledgerSk, PERSON, personPk } from '../person-items';
import { TTL_ATTRIBUTE } from '../table-schema';

/** A conditional write whose condition says there is nothing to do. */
const ignoreFailedCondition = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

/** A kept round as the item holds it; a split the release before rounds kept has its parts alone. */
const roundOf = (item: Record<string, unknown>, round: number): AllocationRound => ({
  round,
  parts: (item.parts ?? []) as AllocationPart[],
  refused: (item.refused ?? []) as string[],
  ...(typeof item.keptAt === 'string' ? { keptAt: item.keptAt } : {}),
});

const strings = (value: unknown): string[] => (value instanceof Set ? [...(value as Set<string>)].sort() : []);

export class DynamoPersonStore implements PersonStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPerson(customerId: string): Promise<Person | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: personPk(customerId), sk: PERSON },
        ConsistentRead: true,
      }),
    );
    if (!Item) return null;
    return {
      customerId,
      accountIds: strings(Item.accountIds),
      ceased: Item.ceased === true,
      optOuts: strings(Item.optOuts) as Channel[],
      bankrupt: Item.bankrupt === true,
      deceased: Item.deceased === true,
    };
  }

  private update(customerId: string, expression: string, values: Record<string, unknown>) {
    return this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: personPk(customerId), sk: PERSON },
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async addAccount(customerId: string, accountId: string): Promise<void> {
    await this.update(customerId, 'ADD accountIds :id', { ':id': new Set([accountId]) });
  }

  async removeAccount(customerId: string, accountId: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: personPk(customerId), sk: PERSON },
          UpdateExpression: 'DELETE accountIds :id',
          // A person never seen is not created to take nothing off.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':id': new Set([accountId]) },
        }),
      )
      .catch(ignoreFailedCondition);
  }

  async addFact(customerId: string, fact: PersonFact): Promise<void> {
    if (fact.kind === 'opt-out') await this.update(customerId, 'ADD optOuts :c', { ':c': new Set([fact.channel]) });
    else await this.update(customerId, `SET ${fact.kind === 'cease' ? 'ceased' : fact.kind} = :t`, { ':t': true });
  }

  async clearFact(customerId: string, fact: Stop): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: personPk(customerId), sk: PERSON },
          UpdateExpression: 'REMOVE #fact',
          // A person never seen is not created to clear nothing.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#fact': fact },
        }),
      )
      .catch(ignoreFailedCondition);
  }

  async reserveContact(slot: ContactSlot, cap: number): Promise<'reserved' | 'full'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: personPk(slot.customerId), sk: ledgerSk(slot.date, slot.kind) },
          UpdateExpression: 'ADD ids :ids SET #ttl = :ttl',
          // The cap is the condition: a place is taken only while fewer than `cap` are (or it is this contact's own).
          ConditionExpression: 'attribute_not_exists(ids) OR contains(ids, :id) OR size(ids) < :cap',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':ids': new Set([slot.contactId]),
            ':id': slot.contactId,
            ':cap': cap,
            ':ttl': ledgerExpiry(slot.date),
          },
        }),
      );
      return 'reserved';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'full';
      throw error;
    }
  }

  async releaseContact(slot: ContactSlot): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: personPk(slot.customerId), sk: ledgerSk(slot.date, slot.kind) },
          UpdateExpression: 'DELETE ids :ids',
          // Nothing to give back on a day with no ledger item: no item is created for it.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':ids': new Set([slot.contactId]) },
        }),
      )
      .catch(ignoreFailedCondition);
  }

  async contactsOn(customerId: string, date: string, kind: ContactKind): Promise<string[]> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: personPk(customerId), sk: ledgerSk(date, kind) },
        ConsistentRead: true,
      }),
    );
    return strings(Item?.ids);
  }

  async allocationOf(customerId: string, paymentId: string, round: number): Promise<AllocationRound | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: personPk(customerId), sk: allocationSk(paymentId, round) },
        ConsistentRead: true,
      }),
    );
    return Item ? roundOf(Item, round) : null;
  }

  async keepAllocation(customerId: string, paymentId: string, kept: AllocationRound): Promise<AllocationRound> {
    const Key = { pk: personPk(customerId), sk: allocationSk(paymentId, kept.round) };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Key,
            paymentId,
            ...kept,
            ...(kept.keptAt ? { [TTL_ATTRIBUTE]: allocationExpiry(kept.keptAt) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { ...kept, parts: [...kept.parts], refused: [...kept.refused] };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
      return roundOf(Item ?? {}, kept.round);
    }
  }
}
