/**
 * A monthly cost budget in the management account with email alerts at percentages of the
 * amount, on actual and on forecasted cost.
 * Source: https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-create.html
 */
import { Construct } from 'constructs';
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';

export interface BudgetProps {
  /** Budget name. */
  readonly name: string;
  /** Monthly limit, USD (> 0). */
  readonly amountUsd: number;
  /** Alert when actual cost passes these percentages of the amount. */
  readonly alertThresholds: number[];
  /** Alert when forecasted cost passes these percentages (default none). */
  readonly forecastThresholds?: number[];
  /** Recipients of every alert (1–10). */
  readonly emails: string[];
  /** Limit the budget to these account IDs (default: the whole organization). */
  readonly accountIds?: string[];
}

/** One cost budget. */
export class Budget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    const notification = (type: 'ACTUAL' | 'FORECASTED') => (threshold: number) => ({
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
      notificationType: type,
      subscriberEmailAddresses: props.emails,
    });
    this.budget = new BudgetsBudget(this, 'budget', {
      name: props.name,
      budgetType: 'COST',
      limitAmount: props.amountUsd.toFixed(2),
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
      costFilter: props.accountIds
        ? [{ name: 'LinkedAccount', values: props.accountIds }]
        : undefined,
      notification: [
        ...props.alertThresholds.map(notification('ACTUAL')),
        ...(props.forecastThresholds ?? []).map(notification('FORECASTED')),
      ],
    });
  }
}
