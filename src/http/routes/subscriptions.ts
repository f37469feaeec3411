import { Router, type Request, type Response } from 'express';
import type { BillingCycle, SubscriptionStatus } from '../../db/models';
import { ValidationError } from '../../errors';
import type { Services } from '../../services';
import { parseMoney } from '../../services/money';
import type { NewSubscription, SubscriptionChanges } from '../../services/subscription-changes';
import type { SubscriptionSort } from '../../services/subscription-service';
import type { AuthMiddleware } from '../middleware/auth';
import { readPageQuery, sendPage } from '../pagination';
import { presentSubscription } from '../presenters/subscription-presenter';

/** The wire body of POST, PUT and PATCH (the contract has checked types, formats and ranges). */
interface SubscriptionBody {
  name?: string;
  price?: string;
  currency?: string;
  billing_cycle?: BillingCycle;
  billing_interval?: number;
  next_payment_date?: string;
  trial_ends_on?: string | null;
  ends_on?: string | null;
  cancel_by?: string | null;
  category?: string | null;
  status?: SubscriptionStatus;
  reminder_offsets?: number[] | null;
  notes?: string | null;
  url?: string | null;
}

/** Wire names to domain fields; money to minor units. Absent stays absent, null stays null. */
function readChanges(body: SubscriptionBody): SubscriptionChanges {
  const changes: SubscriptionChanges = {
    name: body.name?.trim(),
    currency: body.currency?.toUpperCase(),
    billingCycle: body.billing_cycle,
    billingInterval: body.billing_interval,
    nextPaymentDate: body.next_payment_date,
    trialEndsOn: body.trial_ends_on,
    endsOn: body.ends_on,
    cancelBy: body.cancel_by,
    category: body.category,
    status: body.status,
    reminderOffsets: body.reminder_offsets,
    notes: body.notes,
    url: body.url,
  };
  if (body.price !== undefined) {
    const minor = parseMoney(String(body.price));
    if (minor === undefined || minor < 1) {
      throw new ValidationError({
        json: { price: ['Must be an amount from 0.01 with at most two decimals.'] },
      });
    }
    changes.priceMinor = minor;
  }
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
}

const subscriptionId = (req: Request) => Number(req.params.id);

/** The seed's subscription endpoints, with paging, sorting and filters on the list and a PATCH twin of PUT. */
export function subscriptionsRouter(services: Services, auth: AuthMiddleware): Router {
  const router = Router();
  const { subscriptions } = services;

  router.get('/subscriptions', auth.requireAuthOrApiToken, async (req, res) => {
    const query = readPageQuery<SubscriptionSort>(req, 'id');
    const filter = {
      status: req.query.status as SubscriptionStatus | undefined,
      category: typeof req.query.category === 'string' ? req.query.category : undefined,
    };
    const page = await subscriptions.list(req.auth!.userId, query, filter);
    sendPage(req, res, query, page, presentSubscription);
  });

  router.post('/subscriptions', auth.requireAuthOrApiToken, async (req, res) => {
    const input = readChanges(req.body as SubscriptionBody) as NewSubscription;
    const sub = await subscriptions.create(req.auth!.userId, input);
    res.status(201).json(presentSubscription(sub));
  });

  router.get('/subscriptions/:id', auth.requireAuthOrApiToken, async (req, res) => {
    res.json(presentSubscription(await subscriptions.read(req.auth!.userId, subscriptionId(req))));
  });

  const update = async (req: Request, res: Response) => {
    const changes = readChanges(req.body as SubscriptionBody);
    res.json(presentSubscription(await subscriptions.update(req.auth!.userId, subscriptionId(req), changes)));
  };
  router.put('/subscriptions/:id', auth.requireAuthOrApiToken, update);
  router.patch('/subscriptions/:id', auth.requireAuthOrApiToken, update);

  router.delete('/subscriptions/:id', auth.requireAuthOrApiToken, async (req, res) => {
    await subscriptions.remove(req.auth!.userId, subscriptionId(req));
    res.json({ message: 'Subscription deleted.' });
  });

  return router;
}
